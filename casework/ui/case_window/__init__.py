"""A case file in its own window: a summary, then tabs for people, assessments, the plan,
and notes and chronology; actions for allocation, opening, closing and PDFs."""
