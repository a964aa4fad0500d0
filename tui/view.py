"""What the staff console shows of one entity, read from the store in one go."""

from __future__ import annotations

from dataclasses import dataclass, field

from rules import Entity, Link, Request, Settings, is_manager, mask_niss, person_name
from rules.recertification import Campaign
from store import Store


@dataclass(frozen=True)
class EntityView:
    version: int
    entity: Entity
    me: Link | None
    staff: tuple[Link, ...]
    pending: tuple[Request, ...]
    recent: tuple[Request, ...]
    # False while only the staff list is loaded (the first paint does not wait for requests).
    complete: bool = True
    settings: Settings = field(default_factory=Settings)
    campaign: Campaign | None = None  # the yearly review, open or last closed

    @property
    def under_review(self) -> Campaign | None:
        """The open yearly review, if it covers this entity."""
        covered = self.campaign is not None and self.campaign.covers(self.entity.kind)
        return self.campaign if covered else None

    @property
    def can_file(self) -> bool:
        return self.me is not None and is_manager(self.me.employee_type)

    def name_of(self, niss: str | None) -> str:
        """A person's name as the entity knows it, for "filed by" and "supervisor".

        Someone no longer linked, and named nowhere in the view, shows as their birth date
        only: the staff console never shows a full national register number.
        """
        if not niss:
            return ""
        for link in self.staff:
            if link.niss == niss:
                return link.full_name
        for request in (*self.pending, *self.recent):
            if request.niss == niss:
                return request.full_name
        return mask_niss(niss)

    def short_name_of(self, niss: str | None) -> str:
        """« DUPONT J. »: short enough for a column, with an initial to tell two Duponts apart."""
        name = next((link for link in self.staff if link.niss == niss), None) or next(
            (r for r in (*self.pending, *self.recent) if r.niss == niss), None
        )
        if name is None:
            return self.name_of(niss)
        initial = name.first_name[:1]
        return person_name(f"{initial}." if initial else "", name.last_name)


def load_entity_view(
    store: Store, entity_id: str, niss: str, with_requests: bool = True
) -> EntityView | None:
    # One read lock for the whole view: the version and the data belong to the same moment.
    with store.reading():
        version = store.version()
        entity = store.entity(entity_id)
        if entity is None:
            return None
        staff = store.staff(entity_id)
        pending = tuple(store.requests(entity_id)) if with_requests else ()
        recent = tuple(store.recent_decisions(entity_id, limit=5)) if with_requests else ()
        settings = store.settings()
        campaign = store.campaign()
    return EntityView(
        version=version,
        entity=entity,
        me=next((link for link in staff if link.niss == niss), None),
        staff=tuple(sorted(staff, key=lambda k: (k.last_name.casefold(), k.first_name))),
        pending=pending,
        recent=recent,
        complete=with_requests,
        settings=settings,
        campaign=campaign,
    )
