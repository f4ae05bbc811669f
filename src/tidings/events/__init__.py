"""Event coding: CAMEO codes, event lexicons (verb patterns, event nouns, light verbs) and the coder
that turns sentences into CAMEO/PLOVER events tied to their evidence in the text."""
