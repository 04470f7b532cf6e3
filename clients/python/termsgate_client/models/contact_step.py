from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.contact_step_channel import ContactStepChannel
from ..models.contact_step_kind import ContactStepKind
from ..models.contact_step_relative_to import ContactStepRelativeTo

T = TypeVar("T", bound="ContactStep")


@_attrs_define
class ContactStep:
    """One step of a contact plan, dated against the invoice's due or issue date.

    Attributes:
        offset_days (int):
        relative_to (ContactStepRelativeTo):
        channel (ContactStepChannel):
        kind (ContactStepKind):
    """

    offset_days: int
    relative_to: ContactStepRelativeTo
    channel: ContactStepChannel
    kind: ContactStepKind

    def to_dict(self) -> dict[str, Any]:
        offset_days = self.offset_days

        relative_to = self.relative_to.value

        channel = self.channel.value

        kind = self.kind.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "offset_days": offset_days,
                "relative_to": relative_to,
                "channel": channel,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        offset_days = d.pop("offset_days")

        relative_to = ContactStepRelativeTo(d.pop("relative_to"))

        channel = ContactStepChannel(d.pop("channel"))

        kind = ContactStepKind(d.pop("kind"))

        contact_step = cls(
            offset_days=offset_days,
            relative_to=relative_to,
            channel=channel,
            kind=kind,
        )

        return contact_step
