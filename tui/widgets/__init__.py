"""Widgets shared by the consoles."""
