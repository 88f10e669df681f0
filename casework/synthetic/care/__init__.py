"""Care records for the synthetic data: the people around each person (unpaid and young
carers first), assessments with everyone's contributions, plans with outcomes, actions,
reviews and ratings, and the chronology's event notes. No Qt.

The generator drives them (records.CareRecords), after planning and around the rows it
already writes. Everything here draws from Randoms of its own, derived from the seed, so
that the people, cases, allocations and notes the rest of the generator draws stay exactly
as they were before care records existed. Volume follows the work: live cases get a full
plan, recently closed ones a lighter record, and cases closed long ago just the assessment
that opened them.
"""
