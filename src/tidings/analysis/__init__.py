"""Analyses across articles: relations between actors over time."""
