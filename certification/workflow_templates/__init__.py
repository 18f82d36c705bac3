"""Workflow templates: a ready-made workflow (a trigger and the template mappings it runs, in
order) submitted for one certified IntegrationVersion by an integrator of the integration or a
MiSP; once Red Rook staff approve one, the version is One-Click."""
