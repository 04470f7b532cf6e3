from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.touch_in_channel import TouchInChannel
from ..models.touch_in_kind import TouchInKind
from ..models.touch_in_outcome import TouchInOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dispute_in import DisputeIn
    from ..models.promise_in import PromiseIn


T = TypeVar("T", bound="TouchIn")


@_attrs_define
class TouchIn:
    """
    Attributes:
        touch_id (str):
        invoice_id (str):
        channel (TouchInChannel):
        kind (TouchInKind):
        occurred_at (datetime.datetime):
        outcome (TouchInOutcome):
        task_id (int | None | Unset):
        note (None | str | Unset):
        promise (None | PromiseIn | Unset):
        dispute (DisputeIn | None | Unset):
    """

    touch_id: str
    invoice_id: str
    channel: TouchInChannel
    kind: TouchInKind
    occurred_at: datetime.datetime
    outcome: TouchInOutcome
    task_id: int | None | Unset = UNSET
    note: None | str | Unset = UNSET
    promise: None | PromiseIn | Unset = UNSET
    dispute: DisputeIn | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.dispute_in import DisputeIn  # noqa: PLC0415
        from ..models.promise_in import PromiseIn  # noqa: PLC0415

        touch_id = self.touch_id

        invoice_id = self.invoice_id

        channel = self.channel.value

        kind = self.kind.value

        occurred_at = self.occurred_at.isoformat()

        outcome = self.outcome.value

        task_id: int | None | Unset
        if isinstance(self.task_id, Unset):
            task_id = UNSET
        else:
            task_id = self.task_id

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        promise: dict[str, Any] | None | Unset
        if isinstance(self.promise, Unset):
            promise = UNSET
        elif isinstance(self.promise, PromiseIn):
            promise = self.promise.to_dict()
        else:
            promise = self.promise

        dispute: dict[str, Any] | None | Unset
        if isinstance(self.dispute, Unset):
            dispute = UNSET
        elif isinstance(self.dispute, DisputeIn):
            dispute = self.dispute.to_dict()
        else:
            dispute = self.dispute

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "touch_id": touch_id,
                "invoice_id": invoice_id,
                "channel": channel,
                "kind": kind,
                "occurred_at": occurred_at,
                "outcome": outcome,
            }
        )
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if note is not UNSET:
            field_dict["note"] = note
        if promise is not UNSET:
            field_dict["promise"] = promise
        if dispute is not UNSET:
            field_dict["dispute"] = dispute

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dispute_in import DisputeIn  # noqa: PLC0415
        from ..models.promise_in import PromiseIn  # noqa: PLC0415

        d = dict(src_dict)
        touch_id = d.pop("touch_id")

        invoice_id = d.pop("invoice_id")

        channel = TouchInChannel(d.pop("channel"))

        kind = TouchInKind(d.pop("kind"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        outcome = TouchInOutcome(d.pop("outcome"))

        def _parse_task_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        task_id = _parse_task_id(d.pop("task_id", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_promise(data: object) -> None | PromiseIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                promise_type_0 = PromiseIn.from_dict(data)

                return promise_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PromiseIn | Unset, data)

        promise = _parse_promise(d.pop("promise", UNSET))

        def _parse_dispute(data: object) -> DisputeIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dispute_type_0 = DisputeIn.from_dict(data)

                return dispute_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DisputeIn | None | Unset, data)

        dispute = _parse_dispute(d.pop("dispute", UNSET))

        touch_in = cls(
            touch_id=touch_id,
            invoice_id=invoice_id,
            channel=channel,
            kind=kind,
            occurred_at=occurred_at,
            outcome=outcome,
            task_id=task_id,
            note=note,
            promise=promise,
            dispute=dispute,
        )

        return touch_in
