"""Presentation: the terminal tables, the score report page and the evaluation report page."""
