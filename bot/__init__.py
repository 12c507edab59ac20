"""lead-bot: a Slack coach for engineers growing into technical leadership."""

__version__ = "0.1.0"
