"""The ``kharkiv-map`` command line: its arguments and exit codes (``program``), what each
command does (``commands``) and how it speaks to a terminal (``terminal``). The top layer:
may import every package of ``geo``; nothing in ``geo`` imports it.
"""
