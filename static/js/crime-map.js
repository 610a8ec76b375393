/*
 * The crime form's map (templates/victims/crime_form.html): a click inside the user's wards
 * places the crime there, filling the form's hidden lat/lng; the server checks the point falls
 * in one of the user's wards. The map only refines the postcode: without it (no JavaScript, a
 * keyboard user who skips it) the postcode's centre is used. Loaded before map.js so that it
 * hears the map's "app-map:ready".
 */
(function () {
  "use strict";

  var PLACES = 6; // the form's decimal places (about 0.1 m)

  function input(name) {
    return document.getElementById("id_" + name);
  }

  function say(text) {
    var status = document.getElementById("crime-map-status");
    if (status) { status.textContent = text; }
  }

  function attach(state, picker) {
    var map = state.map;
    var marker = null;

    function place(lat, lng, pan) {
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.circleMarker([lat, lng], {
          radius: 8, color: "#0b0c0c", weight: 2, fillColor: "#d4351c", fillOpacity: 0.9,
        }).addTo(map);
      }
      if (pan) { map.setView([lat, lng], Math.max(map.getZoom(), 14)); }
    }

    if (picker.dataset.lat && picker.dataset.lng) {
      place(Number(picker.dataset.lat), Number(picker.dataset.lng), true);
    }

    map.on("click", function (event) {
      var lat = event.latlng.lat.toFixed(PLACES);
      var lng = event.latlng.lng.toFixed(PLACES);
      input("lat").value = lat;
      input("lng").value = lng;
      place(Number(lat), Number(lng), false);
      picker.dataset.lat = lat;
      picker.dataset.lng = lng;
      say("Placed at " + lat + ", " + lng + ".");
    });

    // A new postcode starts again from its centre: a point placed for the old one is dropped.
    var postcode = input("postcode");
    if (postcode) {
      postcode.addEventListener("change", function () {
        input("lat").value = "";
        input("lng").value = "";
        if (marker) { map.removeLayer(marker); marker = null; }
        delete picker.dataset.lat;
        delete picker.dataset.lng;
        say("Not placed on the map: the postcode's centre will be used.");
      });
    }
  }

  document.addEventListener("app-map:ready", function (event) {
    if (event.target.id !== "crime-map") { return; }
    var picker = document.getElementById("crime-map-picker");
    if (picker && input("lat") && input("lng")) { attach(event.detail, picker); }
  });
})();
