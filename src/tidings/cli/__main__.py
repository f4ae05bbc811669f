"""``python -m tidings.cli``."""

from . import main

main()
