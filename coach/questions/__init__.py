"""Before a conversation: the question arc, the open-question checker and the topics of recent context."""
