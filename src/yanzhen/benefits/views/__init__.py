"""Pages of the services that keep talents: the catalogue, entitlements, deliveries and
payment lists, reminders (``benefits``), and apartments (``apartments``)."""
