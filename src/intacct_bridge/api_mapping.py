"""The Python API's mapping page and settings pickers (mixed into `api.Bridge`).

    bridge.add_campaign_rule(["amount gt 1000"], dimension="account", side="CR", value_id="4400")
    bridge.add_skip_rule("Test orders", ["type equals test", "amount lt 1"], join="or")
    bridge.pause_skip_rule(3)                            # reversible: what it skipped goes at the next run
    bridge.set_mapping_default("ticket", "account", "CR", "4100")
    bridge.set_description_template("{type} {external_id} · {constituent}"); bridge.preview_description(...)
    bridge.campaigns(category="Locations", active=True); bridge.add_campaign("Spring Gala", "Events")
    bridge.request_dimension_value("location", "L-300", "West Region"); bridge.sync(kinds=["dimension_value"])
    bridge.set_schedule(every_hours=6, timezone="America/New_York"); bridge.next_scheduled_sync()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time
from typing import Any

from intacct_bridge.domain.campaign_rules import CampaignRule
from intacct_bridge.domain.conditions import ConditionError, condition_words
from intacct_bridge.domain.skip_rules import SkipRule
from intacct_bridge.domain.sync_settings import MappingRule
from intacct_bridge.domain.vocabulary import Dimension, Side
from intacct_bridge.schedule.slots import next_slot
from intacct_bridge.store.database import Store
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import DimensionValue, utcnow
from intacct_bridge.store.repositories import dimension_values, export_rules
from intacct_bridge.store.repositories import settings as settings_repo
from intacct_bridge.store.repositories.campaigns import CampaignRow, create_campaign, list_campaigns
from intacct_bridge.sync import description_preview

ConditionsIn = Iterable[str | Mapping[str, Any]]


def condition_parts(conditions: ConditionsIn) -> list[Mapping[str, Any]]:
    """Conditions as dicts: `"amount gt 1000"` is read as words; a dict is taken as it is (checked later)."""
    out: list[Mapping[str, Any]] = []
    for item in conditions:
        if isinstance(item, str):
            try:
                out.append(condition_words(item))
            except ConditionError as error:
                raise Conflict(str(error)) from None
        else:
            out.append(item)
    return out


class MappingAndRules:
    """Methods of `Bridge` over its workspace's mapping, skip-export rules, campaigns and schedule."""

    store: Store
    workspace_id: int

    # -- defaults by action type and mapping rules --------------------------------------------------------
    def mapping_defaults(self) -> tuple[MappingRule, ...]:
        with self.store.session() as session:
            return settings_repo.mapping_rules(session, self.workspace_id)

    def set_mapping_default(self, action_type: str, dimension: Dimension | str, side: Side | str,
                            value_id: str) -> MappingRule:
        rule = MappingRule(action_type, Dimension(dimension), Side(str(side).upper()), value_id)
        with self.store.write_session() as session:
            export_rules.target_campaign(session, self.workspace_id, rule.dimension, rule.side, value_id)
            settings_repo.set_mapping_default(session, self.workspace_id, rule)
        return rule

    def remove_mapping_default(self, action_type: str, dimension: Dimension | str, side: Side | str) -> None:
        with self.store.write_session() as session:
            settings_repo.remove_mapping_default(session, self.workspace_id, action_type, Dimension(dimension),
                                                 Side(str(side).upper()))

    def campaign_rules(self) -> tuple[CampaignRule, ...]:
        with self.store.session() as session:
            return export_rules.campaign_rules(session, self.workspace_id)

    def add_campaign_rule(self, conditions: ConditionsIn, *, dimension: Dimension | str, side: Side | str,
                          value_id: str, join: str = "and") -> CampaignRule:
        with self.store.write_session() as session:
            return export_rules.add_campaign_rule(session, self.workspace_id, condition_parts(conditions),
                                                  dimension=dimension, side=side, value_id=value_id, join=join)

    def remove_campaign_rule(self, rule_id: int) -> None:
        with self.store.write_session() as session:
            export_rules.remove_rule(session, self.workspace_id, rule_id)

    def move_campaign_rule(self, rule_id: int, *, up: bool) -> tuple[CampaignRule, ...]:
        with self.store.write_session() as session:
            export_rules.move_rule(session, self.workspace_id, rule_id, up)
            return export_rules.campaign_rules(session, self.workspace_id)

    # -- skip-export rules --------------------------------------------------------------------------------
    def skip_rules(self) -> tuple[SkipRule, ...]:
        with self.store.session() as session:
            return export_rules.skip_rules(session, self.workspace_id)

    def add_skip_rule(self, name: str, conditions: ConditionsIn, *, join: str = "and") -> SkipRule:
        with self.store.write_session() as session:
            return export_rules.add_skip_rule(session, self.workspace_id, name, condition_parts(conditions),
                                              join=join)

    def pause_skip_rule(self, rule_id: int) -> SkipRule:
        with self.store.write_session() as session:
            return export_rules.set_skip_rule_active(session, self.workspace_id, rule_id, False)

    def resume_skip_rule(self, rule_id: int) -> SkipRule:
        with self.store.write_session() as session:
            return export_rules.set_skip_rule_active(session, self.workspace_id, rule_id, True)

    def remove_skip_rule(self, rule_id: int) -> None:
        with self.store.write_session() as session:
            export_rules.remove_rule(session, self.workspace_id, rule_id, skip=True)

    # -- description template -----------------------------------------------------------------------------
    def description_template(self) -> str | None:
        with self.store.session() as session:
            return export_rules.description_template(session, self.workspace_id)

    def set_description_template(self, template: str | None) -> str | None:
        """Save the template (None or empty: back to summary, name and link); unknown placeholders are refused."""
        with self.store.write_session() as session:
            return export_rules.set_description_template(session, self.workspace_id, template)

    def preview_description(self, template: str | None = None,
                            external_id: str | None = None) -> description_preview.Preview:
        """The entry's text from `template` (default: the saved one) for an action (default: the latest)."""
        with self.store.session() as session:
            if template is None:
                template = export_rules.description_template(session, self.workspace_id)
            return description_preview.preview(session, self.workspace_id, template, external_id)

    # -- campaigns and schedule ---------------------------------------------------------------------------
    def campaigns(self, *, category: str | None = None, active: bool | None = None, search: str | None = None,
                  limit: int | None = 1000) -> Sequence[CampaignRow]:
        with self.store.session() as session:
            return list_campaigns(session, self.workspace_id, category=category, active=active, search=search,
                                  limit=limit)

    def add_campaign(self, name: str, category: str) -> str:
        """One of the organization's own campaigns, created here (Intacct's dimension values come from a pull)."""
        with self.store.write_session() as session:
            return create_campaign(session, self.workspace_id, name, category).name

    def request_dimension_value(self, dimension: str, value_id: str, name: str) -> DimensionValue:
        """A location, department, class or custom-field value to create in Intacct at the next sync (its
        campaigns follow once it is created); accounts are created in Intacct itself."""
        with self.store.write_session() as session:
            return dimension_values.request_value(session, self.workspace_id, dimension, value_id, name)

    def dimension_values(self) -> Sequence[DimensionValue]:
        with self.store.session() as session:
            return dimension_values.requested_values(session, self.workspace_id)

    def set_schedule(self, *, at: time | str | None = None, every_hours: int | None = None,
                     timezone: str | None = None, clear: bool = False) -> datetime | None:
        """Nightly at `at`, or every N hours, in `timezone`; `clear` turns it off. Returns the next run (UTC)."""
        change = settings_repo.SettingsChange(
            schedule_time=time.fromisoformat(at) if isinstance(at, str) else at, schedule_every_hours=every_hours,
            timezone=timezone, clear_schedule=clear)
        with self.store.write_session() as session:
            settings_repo.update_settings(session, self.workspace_id, change)
        return self.next_scheduled_sync()

    def next_scheduled_sync(self, now: datetime | None = None) -> datetime | None:
        with self.store.session() as session:
            s = settings_repo.load_sync_settings(session, self.workspace_id)
        return next_slot(s.schedule_time, s.schedule_every_hours, s.timezone, now or utcnow())
