/* common_passwords.c - passwords people pick most, refused at any case
 * (ASVS 2.1.7): the global top lists, the favourites of Chinese leaks
 * (woaini1314, 5201314, 1qaz2wsx ...), keyboard walks and repeats of 12
 * characters and more, and this product's own names (the demo password
 * included). Sorted in byte order for bsearch; lowercase ASCII. */
#include <stddef.h>

extern const char *const pw_common[];
extern const size_t pw_common_count;

const char *const pw_common[] = {
	"!qaz2wsx", "!qaz@wsx#edc", "000000", "00000000", "000000000000", "0987654321",
	"0okm9ijn8uhb", "111111", "11111111", "111111111111", "11111111111111", "11223344",
	"112233445566", "121212", "121212121212", "123123", "123123123123", "123321123321", "1234",
	"12341234", "12344321", "12345", "123456", "123456123456", "123456654321", "1234567",
	"12345678", "1234567887654321", "123456789", "1234567890", "12345678900", "123456789012",
	"1234567890123", "1234567890qwe", "12345678910", "12345678987654321", "123456789987654321",
	"123456789a", "123456789abc", "123456789q", "123456789qq", "123456789z", "123456a",
	"123456aa", "123456abc", "123456qq", "1234abcd", "1234asdf", "1234qwer", "123654789",
	"1236987", "123abc", "123qwe", "123qweasdzxc", "13131313131313", "1314520", "1314521",
	"135792468", "13579246810", "147258369", "147258369147", "147852369", "159357", "159753",
	"168168", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "1qa2ws3ed", "1qaz!qaz",
	"1qaz2wsx", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "1qaz@wsx", "1qazxsw23edc", "22222222222222",
	"2468013579", "518518", "5201314", "5201314520", "52013145201314", "520520", "521521",
	"555555", "654321", "654321654321", "666666", "66666666", "666666666666", "666888", "741852",
	"741852963", "7758258", "7758521", "7777777", "777777777777", "789456123", "852456", "888888",
	"88888888", "888888888888", "88888888888888", "963852741", "987654321", "9876543210",
	"99999999", "999999999999", "a123456", "a12345678", "a123456789", "a1234567890",
	"a1b2c3d4e5f6", "a1s2d3f4g5h6", "aa123456", "aa12345678", "aaaa11111111", "aaaaaa",
	"aaaaaaaaaaaa", "abc123", "abc12345", "abc123456", "abc123456789", "abc123abc123",
	"abcabcabcabc", "abcd1234", "abcd12345678", "abcdefg12345", "abcdefghijkl", "abcdefghijklmn",
	"admin", "admin123", "admin1234", "admin12345", "admin123456", "admin@123", "administrator",
	"administrator1", "arsenal123", "asd123456", "asd123asd123", "asdasdasdasd", "asdf1234",
	"asdf1234asdf", "asdfasdfasdf", "asdfghjkl", "asdfghjkl123", "asdfghjkl;'", "autumn2024",
	"baidu123", "baseball", "baseball123", "batman123456", "beijing", "beijing123", "beijing2008",
	"buzhidao", "caonima", "changeme", "changeme123", "charlie123", "chelsea123", "chen123456",
	"china123", "china123456", "chinese123", "default", "defaultpassword", "dragon",
	"dragon123456", "football", "football123", "goodluck123", "guest123456", "happy123456",
	"hebei123456", "huawei123", "ilovechina", "ilovechina123", "iloveyou", "iloveyou123",
	"iloveyou12345", "iloveyou1314", "iloveyouforever", "jennifer", "jessica123", "jiebang",
	"jiebang-demo", "jiebang123", "jiebang123456", "jiebangguashuai", "letmein", "letmein123",
	"li123456", "liu123456", "liverpool", "lkjhgfdsa", "love1314", "lovely", "loveyou1314",
	"loveyoubaby", "luannan123", "lucky123456", "manchester", "master", "master123456", "michael",
	"michael123", "mima123456", "mnbvcxz", "monkey", "monkey123456", "mypassword",
	"mypassword123", "naruto123456", "nicaibudao", "nihao123", "p@55w0rd", "p@ssw0rd",
	"p@ssw0rd123", "p@ssword", "pa$$w0rd", "passw0rd", "passw0rd123", "password", "password!",
	"password1", "password123", "password1234", "password12345", "password123456", "password@123",
	"poiuytrewq", "pokemon123", "princess", "princess123", "q1w2e3r4", "q1w2e3r4t5y6",
	"q2w3e4r5t6", "qazwsx", "qazwsxedc", "qazwsxedcrfv", "qazwsxedcrfvtgb", "qq123456",
	"qq123456789", "qwe123", "qwe123456789", "qwe123qwe123", "qweasdzxc", "qweasdzxc123",
	"qweqweqweqwe", "qwer1234", "qwer1234qwer", "qwerty", "qwerty123", "qwerty123456",
	"qwerty1234567", "qwertyqwerty", "qwertyuiop", "qwertyuiop1", "qwertyuiop123",
	"qwertyuiop1234", "qwertyuiop[]", "qwertyuiopasdfghjkl", "root123456", "rootroot",
	"secret123456", "shadow", "shadow123456", "shanghai", "shanghai123", "spring2024", "starwars",
	"starwars123", "summer2024", "sunshine", "sunshine123", "superman", "superman123",
	"tangshan123", "taobao123", "tencent123", "test123456", "testtest1234", "tianjin123",
	"trustno1", "user123456", "wang123456", "wangwei", "wechat123", "weixin123456", "welcome",
	"welcome123", "welcome1234", "welcome2024", "whatever", "winter2024", "woaini", "woaini123",
	"woaini12345", "woaini1314", "woaini1314520", "woaini1314521", "woaini520", "woaiwojia",
	"wodemima", "wojiushiwo", "xiaomi123", "xiaoming", "zaq12wsx", "zaq1xsw2cde3", "zhang123",
	"zhangwei", "zhongguo", "zhongguo123", "zxc123zxc123", "zxcv1234", "zxcvbnm", "zxcvbnm123",
	"zxcvbnm12345", "zxcvbnmasdfghjkl",
};
const size_t pw_common_count = sizeof(pw_common) / sizeof(pw_common[0]);
