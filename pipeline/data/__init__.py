"""Training data: corpus reading, page rendering, OCR alignment and learned noise (issue 3).

from pipeline.data.corpus import iter_lines, WeightedSampler, split_of
from pipeline.data.noise import corrupt_tokens, corrupt_line, NoiseModel
from pipeline.data.render import find_fonts, RenderSpec, render_page
from pipeline.data.devsets import load_devset
"""
