"""REST API v1, insights: the dashboard's figures as JSON (the same numbers as the page)."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from core.api import ApiError
from core.schemas import ErrorOut
from insights import figures

router = Router(tags=["insights"])


class FiltersIn(Schema):
    from_: date | None = Field(
        None, alias="from", description="First day (default: 27 days before `to`)."
    )
    to: date | None = Field(None, description="Last day, inclusive (default: today).")
    route: str | None = Field(None, description="Only this route, e.g. AMS-LHR.")


class DatasetOut(Schema):
    label: str
    data: list[float | None]


class ChartOut(Schema):
    id: str
    title: str
    kind: str
    labels: list[str]
    datasets: list[DatasetOut]
    note: str


class SectionOut(Schema):
    id: str
    title: str
    charts: list[ChartOut]


class GroupOut(Schema):
    travellers: int
    contacts: int
    per_1000: float | None
    interval_95: list[float] | None = Field(description="Poisson score interval (95%).")


class ComparisonOut(Schema):
    with_: GroupOut = Field(alias="with")
    without: GroupOut
    difference_per_1000: float | None = Field(description="with − without.")
    difference_interval_95: list[float] | None = Field(
        description="Normal approximation for a difference of two Poisson rates (95%)."
    )


class RouteComparisonOut(ComparisonOut):
    route: str


class HeadlineOut(ComparisonOut):
    routes: list[RouteComparisonOut]


class InsightsOut(Schema):
    filters: dict
    rolled_up_at: str | None
    headline: HeadlineOut = Field(
        description="Contacts per 1,000 travellers in the rollout (with proactive updates) and "
        "in its hold-out (without)."
    )
    tiles: dict[str, float | str | None]
    sections: list[SectionOut]


def _page(filters: FiltersIn) -> dict:
    data = {"from": filters.from_, "to": filters.to, "route": filters.route}
    try:
        f = figures.Filters.parse(
            {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items() if v}
        )
    except figures.FilterError as exc:
        raise ApiError(400, exc.message, field=exc.field) from None
    page = figures.dashboard(f)
    page["filters"] = {"from": f.first.isoformat(), "to": f.last.isoformat(), "route": f.route}
    page["rolled_up_at"] = page["rolled_up_at"].isoformat() if page["rolled_up_at"] else None
    return page


@router.get(
    "/insights",
    response={200: InsightsOut, 400: ErrorOut, 401: ErrorOut},
    by_alias=True,
    summary="Every figure of the dashboard",
)
def insights_all(request: HttpRequest, filters: Query[FiltersIn]):
    return _page(filters)


@router.get(
    "/insights/charts/{chart_id}",
    response={200: ChartOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="One chart's numbers",
)
def insights_chart(request: HttpRequest, chart_id: str, filters: Query[FiltersIn]):
    chart = figures.charts_by_id(_page(filters)).get(chart_id)
    if chart is None:
        raise ApiError(404, f"no chart {chart_id!r}", field="chart_id")
    return chart
