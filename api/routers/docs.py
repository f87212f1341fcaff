"""The interactive API docs (``/docs``) with Swagger UI served from the package, not a CDN.

FastAPI's default ``/docs`` page loads its script and CSS from jsDelivr, and city office
networks (and these machines) often reach only package registries: the page stays blank.
``swagger-ui-bundle`` ships the same files; FastAPI documents this self-hosting.
"""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs-static"

router = APIRouter(tags=["docs"])
router.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="docs-static")


@router.get("/docs", include_in_schema=False)
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="baocao — API",
                               oauth2_redirect_url="/docs/oauth2-redirect",
                               swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                               swagger_css_url=f"{ASSETS}/swagger-ui.css",
                               swagger_favicon_url=f"{ASSETS}/favicon-32x32.png")


@router.get("/docs/oauth2-redirect", include_in_schema=False)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()
