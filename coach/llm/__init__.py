"""The LLM provider interface and the validated-draft loop that every feature's drafting uses."""
