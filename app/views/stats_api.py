"""``GET /api/v1/stats/cases`` and ``GET /api/v1/stats/petitions`` (DESIGN §9).

Thin: the filters are checked by app/stats/filters.py (400 with a message), the
figures counted by app/stats/cases.py and app/stats/petitions.py, scoped to the user.
"""

from flask import request
from flask_appbuilder import expose
from flask_appbuilder.api import BaseApi, safe
from flask_appbuilder.security.decorators import protect

from app.labels import iso_utc
from app.security.permissions import READ, Resource
from app.security.scope import current_user
from app.stats import cases, filters, petitions


def _bad_filter(api, error):
    return api.response(400, message=error.message, errors={error.field: [error.message]})


def petition_json(figures):
    """Moments as ISO 8601 with their zone."""
    for row in figures["overdue"]:
        row["received_at"] = iso_utc(row["received_at"])
        row["due_at"] = iso_utc(row["due_at"])
    return figures


class CaseStatsApi(BaseApi):
    resource_name = "stats"
    class_permission_name = Resource.CASE_STATS
    method_permission_name = {"cases": READ}
    openapi_spec_tag = "Statistics"

    @expose("/cases", methods=["GET"])
    @protect()
    @safe
    def cases(self):
        """Case figures of the divisions in the user's scope.
        ---
        get:
          summary: Case statistics (received, on time, working days, overdue, delays,
            cards, ratings)
          parameters:
          - {in: query, name: from, schema: {type: string, format: date},
             description: "first Beijing day counted (default: twelve months back)"}
          - {in: query, name: to, schema: {type: string, format: date},
             description: "last Beijing day counted (default: today)"}
          - {in: query, name: division, schema: {type: string},
             description: "a division code in the user's scope"}
          - {in: query, name: matter, schema: {type: string}, description: "a matter code"}
          responses:
            200:
              description: filters, monthly, on_time_by_division, on_time_by_matter,
                working_days, slowest_steps, overdue_by_division, delay_reasons, cards,
                satisfaction
            400:
              description: a bad date, a reversed or too long range, an unknown code
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
        """
        try:
            chosen = filters.case_filters(request.args, current_user())
        except filters.FilterError as error:
            return _bad_filter(self, error)
        return self.response(200, **cases.case_figures(chosen))


class PetitionStatsApi(BaseApi):
    resource_name = "stats"
    class_permission_name = Resource.PETITION_STATS
    method_permission_name = {"petitions": READ}
    openapi_spec_tag = "Statistics"

    @expose("/petitions", methods=["GET"])
    @protect()
    @safe
    def petitions(self):
        """Petition figures of the petitions the user may read.
        ---
        get:
          summary: Petition statistics (counts, working days, on-time rates,
            satisfaction, repeats, overdue list)
          parameters:
          - {in: query, name: from, schema: {type: string, format: date},
             description: "first Beijing day of receipt counted (default: twelve months back)"}
          - {in: query, name: to, schema: {type: string, format: date},
             description: "last Beijing day of receipt counted (default: today)"}
          - {in: query, name: unit, schema: {type: string},
             description: "a unit code: petitions assigned to it"}
          responses:
            200:
              description: filters, total, by_status, by_unit, by_category, by_channel,
                by_month, working_days, on_time, satisfaction, repeats, overdue
            400:
              description: a bad date, a reversed or too long range, an unknown unit
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
        """
        try:
            chosen = filters.petition_filters(request.args, current_user())
        except filters.FilterError as error:
            return _bad_filter(self, error)
        return self.response(200, **petition_json(petitions.petition_figures(chosen)))
