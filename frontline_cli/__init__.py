"""The ``frontline`` command-line front door."""
