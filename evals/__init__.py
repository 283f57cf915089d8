"""Quality evaluations: datasets under evals/datasets, one suite per module in evals/suites."""
