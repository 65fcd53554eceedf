// The planner executable: everything is in PlannerCLI.

import PlannerCLI

Planner.runAsMain()
