"""Casework: case and team workload manager for front-line social work teams."""

__version__ = "0.1.0"
