"""Unticked checkboxes are a plain ``False``.

FAB gives every NOT NULL column an ``InputRequired`` validator, so a form cannot
save an unticked box for a NOT NULL boolean (a division made inactive, a user who
is not the director). Such columns get ``Optional()`` first, which ends the
validation chain for an empty checkbox.
"""

from wtforms.validators import Optional


class UntickedIsFalseMixin:
    def _init_forms(self):
        self.validators_columns = dict(self.validators_columns or {})
        for column in {*(self.add_columns or []), *(self.edit_columns or [])}:
            if self._required_boolean(column):
                existing = list(self.validators_columns.get(column, []))
                if not any(isinstance(validator, Optional) for validator in existing):
                    self.validators_columns[column] = [Optional(), *existing]
        super()._init_forms()

    def _required_boolean(self, column):
        datamodel = self.datamodel
        return (
            column in datamodel.list_columns
            and datamodel.is_boolean(column)
            and not datamodel.is_nullable(column)
        )
