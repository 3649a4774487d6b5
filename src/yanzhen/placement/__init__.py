"""Placement programmes and internships (see ``apps.py``)."""
