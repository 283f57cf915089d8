"""Coach: an offline, LLM-optional career-conversation coach."""

__version__ = "0.1.0"
