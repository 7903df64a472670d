from pages.vocab import KM_PER_MILE


def to_km(value: float, unit: str) -> float:
    return value * KM_PER_MILE if unit == "mi" else value


def from_km(km: float, unit: str) -> float:
    return km / KM_PER_MILE if unit == "mi" else km


def show_distance(km: float | None, unit: str) -> str:
    if km is None:
        return ""
    value = from_km(km, unit)
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"
