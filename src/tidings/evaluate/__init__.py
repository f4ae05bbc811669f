"""Scorers that compare an :class:`tidings.records.Analysis` with hand-made reference answers.

One module per reference set; ``seed`` scores the seed article's gold file (and any fixture in its format).
"""
