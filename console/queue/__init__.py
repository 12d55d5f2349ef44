"""The routing engine (ACD): contacts, queues, staff states, offers, metrics.

Plain Python with an injected clock.
"""
