"""The workflow templates section of the integrator's integration page (integrations.workspace.panels)."""

from certification.workflow_templates.selectors import versions_with_templates


def workspace_panel_context(request, integration, versions) -> dict:
    return {"template_rows": versions_with_templates(integration, versions)}
