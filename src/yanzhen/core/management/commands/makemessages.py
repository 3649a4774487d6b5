"""``makemessages`` that also finds the labels of the menu (``core/menu.py``): the label of an
``Entry(url_name, label, ...)`` and the title of a ``Group(title, entries)`` are shown through
``{% translate %}`` in base.html, so they belong in the catalogue like a marked string."""

from __future__ import annotations

from django.core.management.commands import makemessages

# Calls whose argument is a message although it is not marked: name -> the argument's index
# (from 0; xgettext counts from 1).
LABEL_KEYWORDS = {"Entry": 1, "Group": 0}


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        *(f"--keyword={name}:{index + 1}" for name, index in LABEL_KEYWORDS.items()),
    ]
