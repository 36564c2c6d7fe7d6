"""The fictional councils' names: a stem and an ending, in each comparison group's style. None is real
(a test checks them against the reference tables)."""

from __future__ import annotations

NAME_STEMS: tuple[str, ...] = (
    "Example",
    "Sample",
    "Mock",
    "Fable",
    "Pretend",
    "Makebelieve",
    "Testing",
    "Dummy",
    "Notional",
    "Invent",
    "Fiction",
    "Imagin",
    "Placehold",
    "Madeup",
    "Specimen",
    "Proto",
    "Fancy",
    "Dream",
    "Whimsy",
    "Storybook",
    "Faux",
    "Ersatz",
    "Pseudo",
    "Hypothet",
    "Nominal",
    "Trialling",
    "Draftly",
    "Demo",
    "Phantom",
    "Figment",
    "Fairytale",
    "Nevernever",
)
NAME_ENDINGS: tuple[str, ...] = (
    "ford",
    "ton",
    "bury",
    "wick",
    "mere",
    "field",
    "stow",
    "combe",
    "worth",
    "thorpe",
    "ham",
    "ley",
    "by",
    "stead",
)
"""Every name is a stem and an ending; len(NAME_STEMS) + 1 and len(NAME_ENDINGS) share no factor, so no
two councils are named alike."""

NAME_TEMPLATES: dict[str, tuple[str, ...]] = {
    "County Councils": ("{stem}shire County Council",),
    "District Councils": ("{stem} District Council", "{stem} Borough Council"),
    "Metropolitan Boroughs": ("{stem} Metropolitan Borough Council", "{stem} City Council"),
    "Unitary Councils": ("{stem} Council", "{stem} Borough Council"),
    "London Boroughs": ("London Borough of {stem}", "Royal Borough of {stem}"),
}
