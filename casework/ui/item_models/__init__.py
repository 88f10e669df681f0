"""Qt item models over pages of DTOs, filtered and sorted in SQL by the services."""
