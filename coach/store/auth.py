"""Who is asking (a Principal) and which employees' records they may see."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.errors import Forbidden

PrincipalRole = Literal["admin", "manager", "employee"]
PRINCIPAL_ROLES: tuple[str, ...] = ("admin", "manager", "employee")


class Principal(BaseModel):
    """The authenticated caller: a role, the person behind the token and (for managers) their reports."""

    model_config = ConfigDict(frozen=True)

    role: PrincipalRole
    person_id: str | None = Field(None, description="The caller's person id; None only for admin tokens.")
    reports: frozenset[str] = Field(frozenset(), description="Direct and indirect reports (managers only).")
    token_id: int | None = Field(None, description="Id of the token used, so a caller can revoke it.")


def can_access(principal: Principal, employee_id: str) -> bool:
    """Admin: everyone; manager: themselves and their (transitive) reports; employee: only themselves."""
    if principal.role == "admin":
        return True
    if principal.person_id is not None and employee_id == principal.person_id:
        return True
    return principal.role == "manager" and employee_id in principal.reports


def require_access(principal: Principal, employee_id: str) -> None:
    """Raise Forbidden unless the principal may see this employee's records."""
    if not can_access(principal, employee_id):
        # Same words whether or not the employee exists, so a denial does not reveal who is on file.
        raise Forbidden("you may not access this employee's records", field="employee_id")
