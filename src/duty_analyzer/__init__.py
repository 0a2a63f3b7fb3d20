"""duty_analyzer: screen 三定 regulations, responsibility lists, hotline disputes and interview notes."""

__version__ = "0.1.0"
