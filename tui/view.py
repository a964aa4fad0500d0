"""What the staff console shows of one entity, read from the store in one go."""

from __future__ import annotations

from dataclasses import dataclass

from rules import Entity, Link, Request, is_manager
from store import Store


@dataclass(frozen=True)
class EntityView:
    version: int
    entity: Entity
    me: Link | None
    staff: tuple[Link, ...]
    pending: tuple[Request, ...]
    recent: tuple[Request, ...]

    @property
    def can_file(self) -> bool:
        return self.me is not None and is_manager(self.me.employee_type)

    def name_of(self, niss: str | None) -> str:
        """A person's name as the entity knows it, for "filed by" and "supervisor"."""
        if not niss:
            return ""
        for link in self.staff:
            if link.niss == niss:
                return link.full_name
        for request in (*self.pending, *self.recent):
            if request.niss == niss:
                return request.full_name
        return niss


def load_entity_view(store: Store, entity_id: str, niss: str) -> EntityView | None:
    version = store.version()
    state = store.entity_state(entity_id)
    if state is None:
        return None
    me = state.link_of(niss)
    return EntityView(
        version=version,
        entity=state.entity,
        me=me,
        staff=tuple(sorted(state.links, key=lambda k: (k.last_name.casefold(), k.first_name))),
        pending=state.pending,
        recent=tuple(store.recent_decisions(entity_id, limit=5)),
    )
