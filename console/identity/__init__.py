"""Who is calling: phones, names, age and routing, policies, consents, SMS codes.

Plain Python. Every function that depends on "now" takes a date or a clock.
"""
