"""Publishing steps, one nbconvert preprocessor each; publish.py composes them in order."""

from .add_check_cell import AddCheckCell
from .clear_solutions import ClearSolutions, SolutionMarkerError
from .drop_authoring_metadata import DropAuthoringMetadata
from .refuse_hidden_tests import HiddenTestsInNotebook, RefuseHiddenTests
from .stamp_assignment import StampAssignment

__all__ = ["AddCheckCell", "ClearSolutions", "DropAuthoringMetadata", "HiddenTestsInNotebook",
           "RefuseHiddenTests", "SolutionMarkerError", "StampAssignment"]
