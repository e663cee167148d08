"""contribution-gate: review what an outgoing change adds before it leaves the organisation."""

__version__ = "0.5.5"
