"""The manager's dashboard and each chart's numbers as CSV: thin views over insights.figures."""

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from insights import figures
from insights.access import manager_required


def _filters(request: HttpRequest) -> tuple[figures.Filters, dict | None]:
    try:
        return figures.Filters.parse(request.GET), None
    except figures.FilterError as exc:
        return figures.Filters.parse({}), {"field": exc.field, "message": exc.message}


@require_GET
@manager_required
def dashboard(request: HttpRequest) -> HttpResponse:
    f, error = _filters(request)
    page = figures.dashboard(f)
    charts = figures.charts_by_id(page)
    context = {
        "page": page,
        "filters": f,
        "error": error,
        "routes": figures.routes_known(),
        "charts_json": charts,
        "query": f.query(),
    }
    return render(request, "insights/dashboard.html", context, status=400 if error else 200)


@require_GET
@manager_required
def chart_csv(request: HttpRequest, chart_id: str) -> HttpResponse:
    f, error = _filters(request)
    if error:
        return HttpResponse(
            f"{error['field']}: {error['message']}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    chart = figures.charts_by_id(figures.dashboard(f)).get(chart_id)
    if chart is None:
        raise Http404("no such chart")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{chart_id}_{f.first.isoformat()}_{f.last.isoformat()}"
    if f.route:
        name += f"_{f.route}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(["label", *[d["label"] for d in chart["datasets"]]])
    for i, label in enumerate(chart["labels"]):
        writer.writerow(
            [label, *["" if d["data"][i] is None else d["data"][i] for d in chart["datasets"]]]
        )
    return response
