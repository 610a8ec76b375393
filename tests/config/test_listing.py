"""config.listing: the one way lists sort, export and show their filters."""

import pytest
from django.test import RequestFactory

from config.listing import Column, applied_filters, header_cells, neutralise


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_start_a_formula_is_kept_as_text(start):
    assert neutralise(f"{start}HYPERLINK(\"http://evil\")") == f"'{start}HYPERLINK(\"http://evil\")"


def test_other_cells_are_left_as_they_are():
    assert neutralise("Jo Bloggs") == "Jo Bloggs"
    assert neutralise("O'Brien") == "O'Brien"
    assert neutralise(-3) == -3 and neutralise(2.5) == 2.5  # numbers are not formulas
    assert neutralise(None) == "" and neutralise(True) == "Yes"
    # a figure written as text (rounded for display) is a number too; a sum is not
    assert neutralise("-16.67") == "-16.67" and neutralise("+5%") == "+5%"
    assert neutralise("-1+1") == "'-1+1" and neutralise("-2-cmd|' /C calc'!A0") == (
        "'-2-cmd|' /C calc'!A0")


def test_a_sortable_header_links_to_the_other_direction_and_says_how_it_is_sorted():
    request = RequestFactory().get("/officers/", {"sort": "name", "page": "3", "rank": "pc"})
    name, rank = header_cells(request, [Column("Name", "name"), Column("Rank")])
    assert name["aria_sort"] == "ascending"
    assert "sort=-name" in name["href"] and "rank=pc" in name["href"]
    assert "page=" not in name["href"]  # a new order starts at page 1
    assert rank == {"label": "Rank"}


def test_each_applied_filter_is_a_tag_whose_link_removes_only_it():
    from django import forms

    class Form(forms.Form):
        rank = forms.MultipleChoiceField(choices=[("pc", "PC"), ("pcso", "PCSO")], label="Rank")
        q = forms.CharField(label="Name")

    request = RequestFactory().get("/officers/", {"rank": ["pc", "pcso"], "q": "Shah"})
    tags = applied_filters(request, Form())
    assert [(t["field"], t["value"]) for t in tags] == [
        ("Rank", "PC"), ("Rank", "PCSO"), ("Name", "Shah")
    ]
    assert tags[0]["href"] == "?rank=pcso&q=Shah"


def test_a_list_page_shows_the_filters_it_names_in_its_order_and_never_the_sort():
    from django import forms

    from config.templatetags.listing import filter_fields

    class Form(forms.Form):
        borough = forms.CharField()
        ward = forms.CharField()
        sort = forms.CharField()

    form = Form()
    shown = [(field.name, width) for field, width in filter_fields(form, "ward:10 borough")]
    assert shown == [("ward", "10"), ("borough", None)]
    assert [(f.name, w) for f, w in filter_fields(form, "")] == [("borough", None), ("ward", None)]
