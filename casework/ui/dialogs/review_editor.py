"""Recording a review of a plan: when it was held, how far each live outcome was met (a
rating, a score from 1 to 5 that agrees with it, and a comment), what the review concluded,
and when the next one is.

A rating and a score that contradict each other ("met", scored 1) are flagged under that
outcome as soon as both are chosen, with the same words the service would refuse them
with (`casework.services.plans.rating_problem`, plain Python). The service still decides;
whatever it refuses is shown under the field or outcome it names and nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework.errors import ValidationError
from casework import dto
from casework.services import Me
from casework.services.plans import rating_problem
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.dialogs.plan_editor import PlanDialog, date_edit, quoted
from casework.ui.item_models.plan_tables import rating_words
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import Tone
from casework.ui.widgets.text_box import text_box, too_long
from casework.vocab import OutcomeRating

NEXT_REVIEW_MONTHS = 3  # the usual interval; the worker changes it when agreed otherwise


def rating_key(outcome_id: str) -> str:
    """The field name the service gives a problem with one outcome's rating."""
    return f"rating:{outcome_id}"


@dataclass
class RatingRow:
    """One live outcome's rating, score and comment."""

    outcome: dto.OutcomeInfo
    number: int
    frame: QFrame
    rating: QComboBox
    score: QComboBox
    comment: QPlainTextEdit

    @property
    def key(self) -> str:
        return rating_key(self.outcome.id)

    def value(self) -> tuple[str | None, int | None, str]:
        return (self.rating.currentData(), self.score.currentData(),
                self.comment.toPlainText().strip())


class ReviewDialog(PlanDialog):
    DEPENDENT = {"held_on": ("next_review_on",)}

    def __init__(self, me: Me, runner: Runner, plan: dto.PlanInfo, person: str = "",
                 parent: QWidget | None = None):
        super().__init__(me, runner, plan.case_id, "", parent)
        tr = self.tr
        self._plan = plan
        self._tried = False  # after a save was tried, every outcome must be rated
        self._next_touched = False  # until then the next date follows the held-on date
        self.rows: dict[str, RatingRow] = {}
        self.setWindowTitle(tr("Record a review — {reference}").format(
            reference=plan.case_reference))
        self.setAccessibleName(tr("Record a review"))
        today = me.today()
        last = plan.reviews[0].held_on if plan.reviews else None

        self.held_on = date_edit(self, tr("Held on"), today, earliest=last, latest=today)
        held_form = QFormLayout()
        self.errors.add_row(held_form, "held_on", tr("&Held on:"), self.held_on)
        self.held_hint = QLabel(self)
        self._show_last(last)

        # How far each outcome was met: one block per live outcome, in plan order.
        self.outcomes_box = QGroupBox(tr("How far each outcome was met"), self)
        bands = {r: f"{lo}–{hi}" for r, (lo, hi) in dto.RATING_SCORES.items()}
        self.scores_hint = QLabel(tr(
            "Rate every outcome. The score says how far, from 1 (not at all) to 5 (fully), and "
            "goes with the rating: met {met}, partly met {partly}, not met {not_met}.").format(
                met=bands[OutcomeRating.MET], partly=bands[OutcomeRating.PARTLY_MET],
                not_met=bands[OutcomeRating.NOT_MET]), self.outcomes_box)
        self.scores_hint.setWordWrap(True)
        self.rows_widget = QWidget(self)
        self.rows_layout = QVBoxLayout(self.rows_widget)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.none_label = QLabel(tr("There are no live outcomes to rate: the review records "
                                    "what it concluded and the next date."), self.rows_widget)
        self.none_label.setWordWrap(True)
        self.rows_layout.addWidget(self.none_label)
        self.rows_layout.addStretch(1)
        self.scroll = QScrollArea(self.outcomes_box)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.rows_widget)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        box_layout = QVBoxLayout(self.outcomes_box)
        box_layout.addWidget(self.scores_hint)
        box_layout.addWidget(self.scroll, 1)
        box_layout.addWidget(self.errors.add("ratings", tr("Ratings"), self.scroll))

        self.summary = text_box(self, tr("What the review concluded, and what the person "
                                         "said about it"), name=tr("Summary"), min_height=70,
                                max_height=120)
        self.next_review_on = date_edit(self, tr("Next review"), self._default_next(today),
                                        earliest=today)
        form = QFormLayout()
        self.errors.add_row(form, "summary", tr("&Summary:"), self.summary)
        self.errors.add_row(form, "next_review_on", tr("&Next review:"), self.next_review_on)

        self.heading = quoted(self, tr("Review of {person}'s plan ({reference})").format(
            person=person, reference=plan.case_reference) if person else tr(
            "Review of the plan ({reference})").format(reference=plan.case_reference),
            tr("Review"))
        self._finish(self.heading, held_form, self.held_hint, self.outcomes_box, form,
                     save_text=tr("&Record review"), tallest=self.outcomes_box)
        self._add_rows(plan.outcomes)
        self.resize(900, 760)
        self._filled()

        self.held_on.dateChanged.connect(self._held_changed)
        self.summary.textChanged.connect(lambda: self._edited("summary"))
        self.next_review_on.dateChanged.connect(self._next_changed)

    def _show_last(self, last: date | None) -> None:
        self.held_hint.setText(
            self.tr("The last review was held on {date}.").format(date=show_date(last)) if last
            else self.tr("This is the plan's first review."))

    # -- the outcome rows -------------------------------------------------------------------

    def _add_rows(self, outcomes: tuple[dto.OutcomeInfo, ...]) -> None:
        tr = self.tr
        for outcome in outcomes:
            if outcome.id in self.rows:
                continue
            number = len(self.rows) + 1
            frame = QFrame(self.rows_widget)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            grid = QGridLayout(frame)
            title = quoted(frame, tr("{n}. {outcome}").format(n=number,
                                                             outcome=outcome.description),
                           tr("Outcome {n}").format(n=number))
            latest = QLabel(frame)
            latest.setWordWrap(True)
            if outcome.latest_rating is not None:
                latest.setText(tr("Last review ({date}): {rating}.").format(
                    date=show_date(outcome.latest_rated_on),
                    rating=rating_words(outcome.latest_rating.rating,
                                        outcome.latest_rating.score)))
            else:
                latest.setText(tr("Not reviewed before."))
            rating = QComboBox(frame)
            rating.addItem(tr("Choose…"), None)
            for r in OutcomeRating:
                rating.addItem(labels.vocab(OutcomeRating, r), r.value)
            rating.setAccessibleName(tr("Rating of outcome {n}").format(n=number))
            score = QComboBox(frame)
            score.addItem(tr("Choose…"), None)
            for n in range(1, 6):
                score.addItem({1: tr("1 – not at all"), 5: tr("5 – fully")}.get(n, str(n)), n)
            score.setAccessibleName(tr("Score of outcome {n}").format(n=number))
            comment = text_box(frame, tr("How far it was met, and what the person said"),
                               name=tr("Comment on outcome {n}").format(n=number),
                               min_height=54, max_height=70)
            captions = []
            for text, buddy in ((tr("Rating:"), rating), (tr("Score:"), score),
                                (tr("Comment:"), comment)):
                caption = QLabel(text, frame)
                caption.setBuddy(buddy)
                captions.append(caption)
            row = RatingRow(outcome, number, frame, rating, score, comment)
            error = self.errors.add(row.key, tr("Outcome {n}").format(n=number), rating)
            grid.addWidget(title, 0, 0, 1, 5)
            grid.addWidget(latest, 1, 0, 1, 5)
            grid.addWidget(captions[0], 2, 0)
            grid.addWidget(rating, 2, 1)
            grid.addWidget(captions[1], 2, 2)
            grid.addWidget(score, 2, 3)
            grid.setColumnStretch(4, 1)
            grid.addWidget(captions[2], 3, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(comment, 3, 1, 1, 4)
            grid.addWidget(error, 4, 0, 1, 5)
            self.rows[outcome.id] = row
            self.rows_layout.insertWidget(self.rows_layout.count() - 1, frame)  # before the stretch
            rating.currentIndexChanged.connect(lambda _i, k=row.key: self._edited(k))
            score.currentIndexChanged.connect(lambda _i, k=row.key: self._edited(k))
            comment.textChanged.connect(lambda k=row.key: self._comment_edited(k))
        live = {o.id for o in self._plan.outcomes}
        for oid, row in self.rows.items():
            row.frame.setVisible(oid in live)
        self.none_label.setVisible(not live)

    def live_rows(self) -> list[RatingRow]:
        """The rows of the outcomes live now, in plan order (a reload may have ended some)."""
        return [self.rows[o.id] for o in self._plan.outcomes]

    def row(self, number: int) -> RatingRow:
        """The row of the outcome shown as `number` (from 1)."""
        return self.live_rows()[number - 1]

    def _comment_edited(self, key: str) -> None:
        self._touched.add(f"{key}:comment")
        self._edited(key)

    # -- dates ------------------------------------------------------------------------------

    def _default_next(self, held: date) -> date:
        later = QDate(held).addMonths(NEXT_REVIEW_MONTHS).toPython()
        return max(later, self._me.today())

    def _held_changed(self) -> None:
        if not self._next_touched:
            self.next_review_on.blockSignals(True)
            self.next_review_on.setDate(QDate(self._default_next(self._held())))
            self.next_review_on.blockSignals(False)
        self._edited("held_on")

    def _next_changed(self) -> None:
        self._next_touched = True
        self._edited("next_review_on")

    def _held(self) -> date:
        return self.held_on.date().toPython()

    # -- checking ---------------------------------------------------------------------------

    def data(self) -> dto.ReviewInput:
        ratings = []
        for row in self.live_rows():
            rating, score, comment = row.value()
            if rating is not None and score is not None:
                ratings.append(dto.RatingInput(row.outcome.id, rating, score, comment))
        return dto.ReviewInput(held_on=self._held(), summary=self.summary.toPlainText().strip(),
                               ratings=tuple(ratings),
                               next_review_on=self.next_review_on.date().toPython())

    def baseline(self) -> tuple:
        return self._typed()

    @property
    def is_dirty(self) -> bool:
        # The dates are filled in for the person: only what they typed or chose counts.
        return self._saved_data is not None and self._typed() != self._saved_data

    def _typed(self) -> tuple:
        return (self.summary.toPlainText().strip(),
                tuple(row.value() for row in self.rows.values()))

    def row_problem(self, row: RatingRow, *, complete: bool) -> str:
        """What is wrong with one outcome's rating ('' when nothing). Until a save is tried,
        only what has been chosen is checked: a contradiction as soon as both are chosen, a
        missing comment once the comment was touched."""
        tr = self.tr
        rating, score, comment = row.value()
        if rating is None or score is None:
            if not complete:
                return ""
            if rating is None:
                return tr("rate this outcome: every live outcome is rated at a review")
            return tr("choose a score from 1 to 5")
        problem = rating_problem(rating, score)
        if problem:
            return problem
        if complete or f"{row.key}:comment" in self._touched:
            if not comment:
                return tr("add a comment on how far it was met")
            if (problem := too_long(comment, fields.COMMENT)):
                return tr("the comment {problem}").format(problem=problem)
        return ""

    def _local_problems(self) -> dict[str, str]:
        tr = self.tr
        today = self._me.today()
        p: dict[str, str] = {}
        held = self._held()
        last = self._plan.reviews[0].held_on if self._plan.reviews else None
        if held > today:
            p["held_on"] = tr("must not be in the future")
        elif last is not None and held < last:
            p["held_on"] = tr("must not be before the last review ({date})").format(
                date=show_date(last))
        summary = self.summary.toPlainText().strip()
        if not summary:
            p["summary"] = tr("say what the review concluded")
        elif (problem := too_long(summary, fields.LONG_TEXT)):
            p["summary"] = problem
        next_on = self.next_review_on.date().toPython()
        if next_on <= held:
            p["next_review_on"] = tr("must be after the review was held")
        elif next_on < today:
            p["next_review_on"] = tr("must not be in the past")
        unrated = 0
        for row in self.live_rows():
            problem = self.row_problem(row, complete=self._tried)
            if problem:
                p[row.key] = problem
            rating, score, _comment = row.value()
            unrated += rating is None or score is None
        if self._tried and unrated:
            p["ratings"] = tr("every live outcome is rated at a review; {n} not yet").format(
                n=unrated)
        return p

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        problems = self._local_problems()
        keys = [key, *self.DEPENDENT.get(key, ())]
        if self._tried:
            keys.append("ratings")
        for k in keys:
            if k in self.errors and (k in self._touched or k == "ratings"):
                self.errors.set(k, problems.get(k, ""))

    def save(self) -> None:
        self._tried = True
        super().save()

    # -- saving -----------------------------------------------------------------------------

    def _request(self) -> tuple:
        return (self._me.plans.record_review, self._case_id, self.data(),
                self._plan.case_row_version)

    def _failed(self, exc: BaseException) -> None:
        known = {r.key for r in self.live_rows()}
        if isinstance(exc, ValidationError) and any(
                k.startswith("rating:") and k not in known for k in exc.problems):
            # An outcome was added or ended since this opened: rate the plan as it is now.
            self._save_ended()
            self.errors.show({k: v for k, v in exc.problems.items() if k in known})
            self.banner.offer(self.tr("The plan's outcomes changed since you opened this "
                                      "review; nothing was saved. Reload to rate the outcomes "
                                      "as they are now: what you typed is kept."),
                              self.tr("&Reload"), self.reload)
            return
        super()._failed(exc)

    def _reloaded(self, plan: dto.PlanInfo) -> None:
        """The plan as it is now: its new version and outcomes. What was typed for outcomes
        still live stays; new outcomes get a row to rate."""
        before = {o.id for o in self._plan.outcomes}
        self._plan = plan
        last = plan.reviews[0].held_on if plan.reviews else None
        if last is not None:
            self.held_on.setMinimumDate(QDate(last))
        self._show_last(last)
        self._add_rows(plan.outcomes)
        self.save_button.setEnabled(True)
        if {o.id for o in plan.outcomes} != before:
            self.banner.show_message(self.tr(
                "The plan's outcomes changed since you opened this review. What you typed is "
                "kept; rate any new outcome and record the review again."), Tone.WARNING)
        else:
            self.banner.show_message(self.tr(
                "The case changed meanwhile (its next review date, say). What you typed is "
                "kept; check it and record the review again."))
        self._edited("held_on")
