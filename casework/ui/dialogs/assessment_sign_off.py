"""Who may sign an assessment off, or lower a risk assessed as high, and whether the
signed-in person may today, in words the editor shows before anyone tries.

Decided as the services decide it: by the reserved functions the sign-off or the change
carries out (`permissions`), the person's standing for each (read from the service when the
editor opened), and any refusal the service has given since (a registration that lapsed
meanwhile, say). The service still decides when asked.
"""

from __future__ import annotations

from collections.abc import Callable

from casework import dto
from casework import permissions as perm
from casework.services import Me


class SignOffStanding:
    def __init__(self, me: Me, tr: Callable[[str], str]):
        self._me, self.tr = me, tr
        # Whether I may carry out each reserved function today, as the services decide it.
        self.standings: dict[str, dto.ReservedStanding] = {}
        # The service's own refusal of a sign-off, by the reserved functions it involved.
        self.refusals: dict[tuple[str, ...], str] = {}

    def set_standings(self, standings: tuple[dto.ReservedStanding, ...]) -> None:
        self.standings = {s.code: s for s in standings}

    def refused(self, kind: str, risk: str | None, message: str) -> None:
        """The service refused signing off `kind` at `risk`: say its words from now on."""
        self.refusals[tuple(str(f) for f in perm.sign_off_functions(kind, risk))] = message

    # -- lowering a risk assessed as high ----------------------------------------------------

    def lowering_refused(self, saved_risk: str | None, risk: str | None) -> str | None:
        """Why `risk` may not replace the saved one, when it lowers a risk assessed as high
        and I may not (None otherwise, or while that is not known)."""
        if not perm.draft_change_functions(saved_risk, risk):
            return None
        standing = self.standings.get(perm.ReservedFunction.LOWER_HIGH_RISK)
        return standing.message if standing is not None and not standing.allowed else None

    def risk_rule(self, saved_risk: str | None) -> str | None:
        """Said beside the assessed risk of a draft assessed as high (None for any other)."""
        if not perm.is_high_risk(saved_risk):
            return None
        tr = self.tr
        standing = self.standings.get(perm.ReservedFunction.LOWER_HIGH_RISK)
        if standing is not None and not standing.allowed:
            return tr("Assessed as high: you may not lower it. {why}").format(
                why=standing.message)
        return tr("Assessed as high: lowering it is reserved to a registered social worker. "
                  "You qualify.")

    # -- signing off -------------------------------------------------------------------------

    def sign_off_rule(self, kind: str, saved_risk: str | None,
                      risk: str | None) -> tuple[bool, str]:
        """Who may sign this kind off at the risk on screen, and whether I may today."""
        tr = self.tr
        me = self._me
        functions = perm.sign_off_functions(kind, risk)
        if functions:
            rule = tr("Signing this off is reserved to a registered social worker "
                      "({what}).").format(what="; ".join(self.function_words(f)
                                                        for f in functions))
        else:
            rule = tr("A social worker, senior practitioner or team leader of the case's "
                      "team signs this off.")
        if not me.can(perm.Action.SIGN_OFF_ASSESSMENT):
            return False, rule + " " + tr("You may prepare the draft, not sign it off.")
        lowering = self.lowering_refused(saved_risk, risk)
        if lowering:
            at_saved, _ = self.sign_off_rule(kind, saved_risk, saved_risk)
            return False, lowering + " " + (
                tr("Put the assessed risk back to high to sign it off.") if at_saved
                else tr("You may still prepare the draft."))
        refusal = self.refusals.get(tuple(str(f) for f in functions))
        if refusal:
            return False, refusal + " " + tr("You may still prepare the draft.")
        for f in functions:
            standing = self.standings.get(str(f))
            if standing is not None and not standing.allowed:
                return False, standing.message + " " + tr("You may still prepare the draft.")
            if standing is None and not me.can(f):
                return False, rule + " " + tr("You do not qualify to sign it off today "
                                              "(My account says why); you may still "
                                              "prepare the draft.")
        return True, rule + " " + tr("You may sign it off.")

    def function_words(self, function: str) -> str:
        tr = self.tr
        return {
            perm.ReservedFunction.SIGN_OFF_CHILD_PROTECTION_INVESTIGATION:
                tr("a child protection investigation"),
            perm.ReservedFunction.SIGN_OFF_ASP_INQUIRY:
                tr("an adult support and protection inquiry"),
            perm.ReservedFunction.SIGN_OFF_JUSTICE_REPORT:
                tr("a justice social work report to court"),
            perm.ReservedFunction.MHO_FUNCTION:
                tr("a Mental Health Officer's report: MHO accreditation and two years' "
                   "post-qualifying experience"),
            perm.ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT:
                tr("a high assessed risk"),
        }.get(function, function)  # type: ignore[call-overload]
