// Find your neighbourhood team: the browser's geolocation fills the latitude and longitude,
// then the form is sent. The button shows only where the browser can locate.
(function () {
  var button = document.getElementById("use-my-location");
  if (!("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("location-status");
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_lat").value = position.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = position.coords.longitude.toFixed(6);
      document.getElementById("location-form").submit();
    }, function () {
      status.textContent = "Your location is not available. Search by name instead.";
    });
  });
})();
