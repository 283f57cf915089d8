"""After a conversation: notes, due dates, follow-up summaries and the stored commitments."""
