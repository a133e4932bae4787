"""The portal keeps no tables of its own.

The applicant's pledge declaration (承诺书), which the portal recorded at first, belongs to the case
engine: ``approvals.cases.models.PledgeDeclaration`` (same table, moved by the migrations
``approvals.0006`` and ``citizen_portal.0002``), required by ``approvals.cases.services.submit`` on
every channel.
"""
