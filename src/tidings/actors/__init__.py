"""Actors: who the article is about — lexicons of countries, seats of power, titles and organisations, and
the resolver that turns mentions into actors."""
