"""A learned attribution tagger: a linear-chain CRF that tags tokens BIO as SOURCE / CUE / CONTENT.

Trained on the PolNeAR train split by ``scripts/train_attribution.py``; the model file ships in
``tidings/data/attribution_crf.crfsuite``. The parts, one job each:

- :mod:`.features` — the token features read off the spaCy parse (and, optionally, the rule quotes);
- :mod:`.tagger` — loading the model and tagging a document into role spans;
- :mod:`.linker` — grouping role spans into attributions (the cue is the anchor).

:func:`tidings.quotes.find_quotes` turns the attributions into ``Quote`` records, the rule system resolving
who the source is.
"""

from .linker import ProposedAttribution, link
from .tagger import RoleSpan, load_tagger, tag_doc

__all__ = ["ProposedAttribution", "RoleSpan", "link", "load_tagger", "tag_doc"]
