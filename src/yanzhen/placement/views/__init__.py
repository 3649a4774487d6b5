"""Pages of placement, by topic: programmes and internships."""
