"""medconsole: the operator console and hub of a telemedicine call center."""

__version__ = "0.1.0"
