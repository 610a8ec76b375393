// Find your neighbourhood team: where the browser can locate, show "Use my location"; a click
// asks the browser, then posts the latitude and longitude in the hidden fields. Without
// JavaScript or geolocation the section stays hidden: nobody types coordinates.
(function () {
  var section = document.getElementById("use-location");
  if (!section || !("geolocation" in navigator)) return;
  section.hidden = false;
  var status = document.getElementById("location-status");
  document.getElementById("use-my-location").addEventListener("click", function () {
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("location-lat").value = position.coords.latitude.toFixed(6);
      document.getElementById("location-lng").value = position.coords.longitude.toFixed(6);
      status.textContent = "Finding your ward…";
      document.getElementById("location-form").submit();
    }, function () {
      status.textContent = "Your location is not available. Search by postcode or name instead.";
    }, { timeout: 15000, maximumAge: 60000 });
  });
})();
