"""Exploring: aspirations, career paths, competency gaps and development maps."""
