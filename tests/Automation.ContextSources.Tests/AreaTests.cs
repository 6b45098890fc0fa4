using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen.Google;
using Automation.Planning.Context;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.ContextSources.Tests;

public sealed class AreaTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(47.3, 8.5, "CH:47.35,8.55")]
    [InlineData(47.39999, 8.59999, "CH:47.35,8.55")]
    [InlineData(-33.87, 151.21, "CH:-33.85,151.25")]
    [InlineData(40.42, -3.70, "CH:40.45,-3.65")]
    [InlineData(90, 180, "CH:89.95,179.95")]
    public void An_area_is_the_tenth_of_a_degree_cell_around_the_point(double latitude, double longitude, string id)
    {
        ForecastArea.Of("ch", new GeoPoint(latitude, longitude)).Id.Should().Be(id);
    }

    [Fact]
    public void Customers_without_coordinates_are_placed_by_postal_code_then_city_and_never_without_a_country()
    {
        var table = PlaceTable.Load(_folder.Write("places.csv",
            "country,postal_code,city,latitude,longitude\nGB,SW1A 1AA,London,51.501,-0.142\nGB,,Manchester,53.48,-2.24\n"));
        var locator = new AreaLocator(table);

        locator.Locate(new CustomerProfile("C1") { Country = "GB", PostalCode = "sw1a1aa", City = "Manchester" })!.Value.Id.Should().Be("GB:51.55,-0.15");
        locator.Locate(new CustomerProfile("C2") { Country = "GB", City = " manchester " })!.Value.Id.Should().Be("GB:53.45,-2.25");
        locator.Locate(new CustomerProfile("C3") { Country = "GB", City = "Leeds" }).Should().BeNull();
        locator.Locate(new CustomerProfile("C4") { Country = "IE", City = "Manchester" }).Should().BeNull("postal codes and cities are per country");
        locator.Locate(new CustomerProfile("C5") { Coordinates = new GeoPoint(51.5, -0.1) }).Should().BeNull();
        AreaLocator.WhyNoArea(new CustomerProfile("C5")).Should().Be("the profile has no country, which decides the pollen provider");
    }

    [Fact]
    public void A_wrong_places_file_names_file_line_field_and_reason()
    {
        var path = _folder.Write("places.csv", "country,postal_code,city,latitude,longitude\nDE,10115,Berlin,52.53,13.38\nGermany,10117,Berlin,52.51,13.39\nDE,,,52.5,13.4\nDE,80331,München,north,11.57\n");

        var error = FluentActions.Invoking(() => PlaceTable.Load(path)).Should().Throw<PlaceTableException>().Which.Message;

        error.Should().Contain($"{path} has 3 wrong row(s)")
            .And.Contain($"{path} line 3, country: 'GERMANY' is not an ISO 3166 alpha-2 code")
            .And.Contain($"{path} line 4, postal_code: a row needs a postal code, a city or both")
            .And.Contain($"{path} line 5, latitude: 'north' is not a latitude between -90 and 90");
        FluentActions.Invoking(() => PlaceTable.Load(_folder.Write("bad.csv", "zip,lat,lon\n1,2,3\n"))).Should().Throw<PlaceTableException>()
            .WithMessage("*has no column country, latitude, longitude*");
    }

    [Theory]
    [InlineData(PollenGroup.Tree, 4, 90)]
    [InlineData(PollenGroup.Tree, 3, 15)]
    [InlineData(PollenGroup.Grass, 4, 20)]
    [InlineData(PollenGroup.Grass, 5, 200)]
    [InlineData(PollenGroup.Weed, 4, 50)]
    [InlineData(PollenGroup.Weed, 0, 0)]
    public void The_Universal_Pollen_Index_maps_to_the_start_of_the_matching_National_Allergy_Bureau_band(PollenGroup group, int index, double grains)
    {
        UniversalPollenIndex.ToGrainsPerCubicMetre(group, index).Should().Be(grains);
    }

    [Fact]
    public void With_the_default_thresholds_a_high_index_fires_and_a_moderate_one_does_not()
    {
        foreach (var (type, threshold) in PollenTypes.DefaultThresholds)
        {
            UniversalPollenIndex.ToGrainsPerCubicMetre(PollenTypes.GroupOf(type), 4).Should().BeGreaterThanOrEqualTo(threshold, type);
            UniversalPollenIndex.ToGrainsPerCubicMetre(PollenTypes.GroupOf(type), 3).Should().BeLessThan(threshold, type);
        }
    }
}
