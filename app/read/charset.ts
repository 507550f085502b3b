import type { Encoding } from './encodings.ts';

/**
 * Which legacy encoding a text file that is not UTF-8 is most likely in, by statistics: each candidate decodes
 * a sample, and the decoded text is scored by how much it looks like text written in that encoding's languages —
 * invalid byte sequences and control characters count heavily against; letters those languages use often count
 * for; symbols in the middle of words (`Kraków` read as `Krak¢w`), capitals after small letters and long runs of
 * accented letters count against. The multi-byte East Asian encodings are also scored byte by byte: text falls
 * mostly in the rows of each standard that hold its commonest characters (kana, level-1 kanji and hanzi, Hangul).
 * Confidence comes from the margin between the best candidate and the best one that decodes the sample to
 * different text (candidates that agree on every character are not rivals).
 */
export interface EncodingGuess {
  encoding: Encoding;
  /** 0–1: how sure the guess is. */
  confidence: number;
  /** Other candidates that came close, best first. */
  alternatives: Encoding[];
}

type Family = 'utf8' | 'western' | 'central' | 'cyrillic' | 'japanese' | 'simplified' | 'traditional' | 'korean';

interface Candidate {
  encoding: Encoding;
  family: Family;
  /** Breaks ties: the commoner encoding of two that read a sample alike. */
  prior: number;
  /** Scores the bytes of a multi-byte encoding by where its characters fall. */
  bytes?: (sample: Uint8Array) => ByteScore;
}

interface ByteScore {
  score: number;
  invalid: number;
}

/** Letters the languages of each family use, with weights: commoner letters weigh more. */
function weights(groups: [number, string][]): Map<string, number> {
  const map = new Map<string, number>();
  for (const [weight, letters] of groups) for (const letter of letters) map.set(letter, weight);
  return map;
}

const LETTERS: Partial<Record<Family, Map<string, number>>> = {
  // French, German, Spanish, Portuguese, Italian, Dutch, the Nordic languages.
  western: weights([
    [2, 'éàèçêôâîëïäöüßñáíóúãåæø'],
    [0.8, 'ûõùìòýÿœšžðþ'],
  ]),
  // Polish, Czech, Slovak, Hungarian, Romanian, Croatian, Slovenian.
  central: weights([
    [2, 'áčďéěíňóřšťúůýžąćęłńśźżöőüűäôĺľŕăâîşţșțđ'],
    [0.8, 'çëß'],
  ]),
  // Russian, Ukrainian, Bulgarian, Serbian, Belarusian: the commonest letters weigh most.
  cyrillic: weights([
    [2, 'оеаинтсрвлкмдпу'],
    [1.2, 'яыьгзбчйхжшюціїє'],
    [0.5, 'щэфъёґўђјљњћџѓќѕ'],
  ]),
};

/** The commonest characters of each East Asian language: most of any text is made of them. */
const COMMON_CHARACTERS: Partial<Record<Family, Set<string>>> = {
  simplified: new Set(
    '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏彭拔骗凤慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇磨递邪撞拟滚奏巡颜剂绩贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲佳娜浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷澳嘛董迁凝慰厌脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾锋梯猫祥阔誉筹丛牵鸣沈阁穆屈旨袖猎臂蛇贺柱抛鼠瑟戈牢逊迈欺吨琴衰瓶恼燕仲诱狼池疼卢仗冠粒遥吕玄尘冯抚浅敦纠钻晶岂峡苍喷耗凌敲菌赔涂粹扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂袁侯抖夹昆肝擦猪炼恒慎搬纽纹玻渔磁铜齿跨押怖漠疲叛遣兹祭醉拳弥斜档稀捷肤疫肿豆削岗晃吞宏癌肚隶履涨耀扭坛拨沃绘伐堪仆郭牺歼墓雇廉契拼惩捉覆刷劫嫌瓜歇雕闷乳串娃缴唤赢莲霸桃妥瘦搭赴岳嘉舱俊址庞耕锐缝悔邀玲惟斥宅添挖呵讼氧浩羽斤酷掠妖祸侍乙妨贪挣汪尿莉悬唇翰仓轨枚盐览傅帅庙芬屏寺胖璃愚滴疏萧姿颤丑劣柯寸扔盯辱匹俱辨饿蜂哦腔郁溃谨糟葛苗肠忌溜鸿爵鹏鹰笼丘桂滋聊挡纲肌茨壳痕碗穴膀卓贤卧膜毅锦欠哩函茫昂薛皱夸豫胃舌剥傲拾窝睁携陵哼棉晴铃填饲渴吻扮逆脆喘罩卜炉柴愉绳胎蓄眠竭喂傻慕浑奸扇柜悦拦诞饱乾泡贼亭夕爹酬儒姻卵氛泄杆挨僧蜜吟猩遂狭肖甜霉滩',
  ),
  traditional: new Set(
    '的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被利什二等產或新己制身果加西月話合回特代內信表化老給世位次度門任常先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活更別打女變四神總何電數安少報才結反受目太量再感建務做接必場件計管期市直資命山金指克許統區保至隊形社便空決治展馬科司五基眼書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告類求據程北邊死張該交規萬取拉格望覺術領共確傳師觀清今切院讓識候帶導爭運笑飛風步改收根乾造言聯持組每濟車親極林服快辦議往元英士證近失轉夫令準布始怎呢存未遠叫台單影具羅字愛擊流備兵連調深商算質團集百需價花黨華城石級整府離況亞請技際約示復病息究線似官火斷精滿支視消越器容照須九增研寫稱企八功嗎包片史委乎查輕易早曾除農找裝廣顯吧阿李標談吃圖念六引歷首醫局突專費號盡另周較注語僅考落青隨選列武紅響雖推勢參希古眾構房半節土投某案黑維革劃敵致陳律足態護七興派孩驗責營星夠章音跟志底站嚴巴例防族供效續施留講型料終答緊黃絕奇察母京段依批群項故按河米圍江織害鬥雙境客紀採舉殺攻父蘇密低朝友訴止細願千值仍男錢破網熱助倒育屬坐帝限船臉職速刻樂否剛威毛狀率甚獨球般普怕彈校苦創假久錯承印晚蘭試股拿腦預誰益陽若哪微尼繼送急血驚傷素藥適波夜省初喜衛源食險待述陸習置居勞財環排福納歡雷警獲模充負雲停木遊龍樹疑層冷洲衝射略範竟句室異激漢村哈策演簡卡罪判擔州靜退既衣您宗積餘痛檢差富靈協角佔配徵修皮揮勝降階審沉堅善媽劉讀啊超免壓銀買皇養伊懷執副亂抗犯追幫宣佛歲航優怪香田鐵控稅左右份穿藝背陣草腳概惡塊頓敢守酒島托央戶烈洋哥索胡款靠評版寶座釋景顧弟登貨互付伯慢歐換聞危忙核暗姐介壞討麗良序升監臨亮露永呼味野架域沙掉括艦魚雜誤灣吉減編楚肯測敗屋跑夢散溫困劍漸封救貴槍缺樓縣尚毫移娘朋畫班智亦耳恩短掌恐遺固席松祕謝魯遇康慮幸均銷鐘詩藏趕劇票損忽巨炮舊端探湖錄葉春鄉附吸予禮港雨呀板庭婦歸睛飯額含順輸搖招婚脫補謂督毒油療旅澤材滅逐莫筆亡鮮詞聖擇尋廠睡博勒煙授諾倫岸奧唐賣俄炸載洛健堂旁宮喝借君禁陰園謀宋避抓榮姑孫逃牙束跳頂玉鎮雪午練迫爺篇肉嘴館遍凡礎洞卷坦牛寧紙諸訓私莊祖絲翻暴森塔默握戲隱熟骨訪弱蒙歌店鬼軟典欲薩夥遭盤爸擴蓋弄雄穩忘億刺擁徒姆楊齊賽趣曲刀床迎冰虛玩析窗醒妻透購替塞努休虎揚途侵刑綠兄迅套貿畢唯谷輪庫跡尤競街促延震棄甲偉麻川申緩潛閃售燈針哲絡抵朱埃抱鼓植純夏忍頁傑築折鄭貝尊吳秀混臣雅振染盛怒舞圓搞狂措姓殘秋培迷誠寬宇猛擺梅毀伸摩盟末乃悲拍丁趙硬麥蔣操耶阻訂彩抽贊魔紛沿喊違妹浪匯幣豐藍殊獻桌啦瓦萊援譯奪汽燒距裁偏符勇觸課敬哭懂牆襲召罰俠廳拜巧側韓冒債曼融慣享戴童猶乘掛獎紹厚縱障訊涉徹刊丈爆烏役描洗瑪患妙鏡唱煩簽仙彼弗症仿傾牌陷鳥轟咱菜閉奮慶撤淚茶疾緣播朗杜奶季丹狗尾儀偷奔珠蟲駐孔宜艾橋淡翼恨繁寒伴嘆旦愈潮糧縮罷聚徑恰挑袋灰捕徐珍幕映裂泰隔啟尖忠累炎暫估泛荒償橫拒瑞憶孤鼻鬧羊呆厲衡胞零窮舍碼赫婆魂災洪腿膽津俗辯胸曉勁貧仁偶輯邦恢賴圈摸仰潤堆碰艇稍遲輛廢淨兇署壁御奉旋冬礦抬蛋晨伏吹雞倍糊秦盾杯租騎乏隆診奴攝喪污渡旗甘耐憑紮搶緒粗肩梁幻菲皆碎宙叔岩蕩綜爬荷悉蒂返井壯薄悄掃敏礙殖詳迪矛霍允幅撒剩凱顆罵賞液番箱貼漫酸郎腰舒眉憂浮辛戀餐嚇挺勵辭艘鍵伍峰尺昨黎輩貫偵滑券崇擾憲繞趨慈喬閱汗枝拖墨脅插箭臘粉泥氏彭拔騙鳳慧媒佩憤撲齡驅惜豪掩兼躍屍肅帕駛堡屆欣惠冊儲飄桑閒慘潔蹤勃賓頻仇磨遞邪撞擬滾奏巡顏劑績貢瘋坡瞧截燃焦殿偽柳鎖逼頗昏勸呈搜勤戒駕漂飲曹朵仔柔倆孟腐幼踐籍牧涼牲佳娜濃芳稿竹腹跌邏垂遵脈貌柏獄猜憐惑陶獸帳飾貸昌敘躺鋼溝寄扶鋪鄧壽懼詢湯盜肥嘗匆輝奈扣廷澳嘛董遷凝慰厭髒騰幽怨鞋丟埋泉湧轄躲晉紫艱魏吾慌祝郵吐狠鑑曰械咬鄰赤擠彎椅陪割揭韋悟聰霧鋒梯貓祥闊譽籌叢牽鳴沈閣穆屈旨袖獵臂蛇賀柱拋鼠瑟戈牢遜邁欺噸琴衰瓶惱燕仲誘狼池疼盧仗冠粒遙呂玄塵馮撫淺敦糾鑽晶豈峽蒼噴耗凌敲菌賠塗粹扁虧寂煤熊恭濕循暖糖賦抑秩帽哀宿踏爛袁侯抖夾昆肝擦豬煉恆慎搬紐紋玻漁磁銅齒跨押怖漠疲叛遣茲祭醉拳彌斜檔稀捷膚疫腫豆削崗晃吞宏癌肚隸履漲耀扭壇撥沃繪伐堪僕郭犧殲墓僱廉契拼懲捉覆刷劫嫌瓜歇雕悶乳串娃繳喚贏蓮霸桃妥瘦搭赴岳嘉艙俊址龐耕銳縫悔邀玲惟斥宅添挖呵訟氧浩羽斤酷掠妖禍侍乙妨貪掙汪尿莉懸唇翰倉軌枚鹽覽傅帥廟芬屏寺胖璃愚滴疏蕭姿顫醜劣柯寸扔盯辱匹俱辨餓蜂哦腔鬱潰謹糟葛苗腸忌溜鴻爵鵬鷹籠丘桂滋聊擋綱肌茨殼痕碗穴膀卓賢臥膜毅錦欠哩函茫昂薛皺誇豫胃舌剝傲拾窩睜攜陵哼棉晴鈴填飼渴吻扮逆脆喘罩卜爐柴愉繩胎蓄眠竭餵傻慕渾奸扇櫃悅攔誕飽泡賊亭夕爹酬儒姻卵氛洩桿挨僧蜜吟猩遂狹肖甜黴灘',
  ),
  // Kana: most of any Japanese text.
  japanese: new Set(
    Array.from({ length: 0x30ff - 0x3041 + 1 }, (_, i) => String.fromCharCode(0x3041 + i))
      .join('')
      .concat('日本人年大会社中出月分時行事生自者上前東京都円株式名'),
  ),
  korean: new Set(
    '이다는의에하고을가지로기사한서리자대어수일도정인시적해보으들상부전나게과장주있것제소여동라우요성만국개위원구오면경되된를무연방공할없선니신미관비각문모그학아발저회물세업생화내마야불중결계실및당진같또안조때말은까전체유터거운통분출영금데반와행명법민후사람것점정심교식단재유용작부만들이후지역입장감받간세상발전처럼경우현재소리남녀시간그리고하지만하면서합니다습니다입니다했다있다한다',
  ),
};

const CANDIDATES: Candidate[] = [
  { encoding: 'utf-8', family: 'utf8', prior: 0.5 },
  { encoding: 'windows-1252', family: 'western', prior: 0.4 },
  { encoding: 'windows-1250', family: 'central', prior: 0.3 },
  { encoding: 'iso-8859-2', family: 'central', prior: 0.1 },
  { encoding: 'windows-1251', family: 'cyrillic', prior: 0.3 },
  { encoding: 'koi8-r', family: 'cyrillic', prior: 0.1 },
  { encoding: 'shift_jis', family: 'japanese', prior: 0.2, bytes: shiftJisBytes },
  { encoding: 'euc-jp', family: 'japanese', prior: 0.1, bytes: eucJpBytes },
  { encoding: 'gb18030', family: 'simplified', prior: 0.2, bytes: gb18030Bytes },
  { encoding: 'big5', family: 'traditional', prior: 0.1, bytes: big5Bytes },
  { encoding: 'euc-kr', family: 'korean', prior: 0.1, bytes: eucKrBytes },
];

/** The candidates the detector weighs, for tests and for the UI's wording. */
export const DETECTED_ENCODINGS: readonly Encoding[] = CANDIDATES.map((candidate) => candidate.encoding);

const INVALID = -8;

/** The likeliest encoding of `sample` (the first bytes of a file that is not valid UTF-8). */
export function guessEncoding(sample: Uint8Array): EncodingGuess {
  const bytes = withoutCutCharacter(sample);
  let highBytes = 0;
  for (const byte of bytes) if (byte >= 0x80) highBytes++;
  const scored = CANDIDATES.map((candidate) => {
    const text = new TextDecoder(candidate.encoding).decode(bytes);
    let score = scoreText(text, candidate.family) + candidate.prior;
    if (candidate.bytes) {
      const byByte = candidate.bytes(bytes);
      const replaced = countOf(text, '\uFFFD');
      score += byByte.score + INVALID * Math.max(0, replaced - byByte.invalid);
    }
    return { encoding: candidate.encoding, text, score };
  }).sort((a, b) => b.score - a.score);
  const best = scored[0] ?? { encoding: 'windows-1252' as Encoding, text: '', score: 0 };
  const rivals = scored.filter((candidate) => candidate.text !== best.text);
  const rival = rivals[0];
  if (highBytes === 0 || !rival) return { encoding: best.encoding, confidence: 0.99, alternatives: [] };
  const margin = best.score - rival.score;
  let confidence = 1 - 0.5 * Math.exp(-margin / 8);
  // Nothing reads well: the best is only the least bad.
  if (best.score <= 0) confidence = Math.min(confidence, 0.3);
  return {
    encoding: best.encoding,
    confidence: Math.min(0.99, Math.round(confidence * 100) / 100),
    alternatives: rivals
      .filter((candidate) => candidate.score > best.score - 16)
      .slice(0, 3)
      .map((candidate) => candidate.encoding),
  };
}

/** A sample cut at an arbitrary byte may end in half a character: the last few bytes are not judged. */
function withoutCutCharacter(sample: Uint8Array): Uint8Array {
  let end = sample.length;
  while (end > 0 && end > sample.length - 3 && (sample[end - 1] ?? 0) >= 0x80) end--;
  return sample.subarray(0, end);
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) count++;
  return count;
}

const LETTER = /\p{L}/u;
/** Punctuation and symbols that real text uses on their own (not inside a word). */
const USUAL_SYMBOLS = new Set(
  '€£¥°§©®«»–—‘’‚“”„…•·×÷±½¼¾¿¡¹²³µ¤¦¨¯´¸ºª\u00A0\u200B\u3000、。「」『』・ー（）：；！？，．',
);
/** Marks that belong inside words. */
const IN_WORD = new Set('’·\u00AD-');

/** How much `text` looks like text in the languages of `family`; higher is likelier. */
function scoreText(text: string, family: Family): number {
  const letters = LETTERS[family];
  const common = COMMON_CHARACTERS[family];
  const latin = family === 'western' || family === 'central';
  // Languages that separate words with spaces: a symbol between two letters is a letter misread.
  const spaced = latin || family === 'cyrillic';
  let score = 0;
  let previous = ' ';
  let accentedRun = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code < 0x20 && code !== 9 && code !== 10 && code !== 13) score += INVALID;
      // A capital after an accented small letter: `¿Qué` read as `żQué`.
      else if (code >= 65 && code <= 90 && previous.charCodeAt(0) >= 0x80 && isLowerLetter(previous)) score -= 3;
      previous = text[i] ?? ' ';
      accentedRun = 0;
      continue;
    }
    let char = text[i] ?? '';
    if (code >= 0xd800 && code < 0xdc00) {
      char = text.slice(i, i + 2);
      i++;
    }
    const next = text[i + 1] ?? ' ';
    if (code === 0xfffd || (code >= 0x80 && code < 0xa0)) score += INVALID;
    else if (LETTER.test(char)) {
      const lower = char.toLowerCase();
      if (family === 'utf8') score += 2 * utf8Length(code);
      else if (letters) score += letters.get(lower) ?? -2;
      else if (common?.has(char)) score += 3;
      if (char !== lower && isLowerLetter(previous)) score -= 3;
      // A Cyrillic letter inside a Latin word: `Zoë` read as `Zoл`.
      if (family === 'cyrillic' && (isAsciiLetter(previous) || isAsciiLetter(next))) score -= 3;
      if (latin && ++accentedRun >= 3) score -= 2;
    } else if (family === 'utf8') {
      score += utf8Length(code);
    } else {
      const inWord = spaced && isLetterChar(previous) && isLetterChar(next);
      if (inWord && !IN_WORD.has(char)) score -= 4;
      else if (!USUAL_SYMBOLS.has(char)) score -= 0.5;
      accentedRun = 0;
    }
    previous = char;
  }
  return score;
}

function utf8Length(code: number): number {
  return code < 0x800 ? 2 : 3;
}

function isLetterChar(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER.test(char);
}

function isAsciiLetter(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isLowerLetter(char: string): boolean {
  return isLetterChar(char) && char !== char.toUpperCase();
}

/**
 * Byte scorers of the East Asian encodings: each character scores by the row of its standard it falls in — the
 * kana and the level-1 characters (the commonest few thousand) for, rarely used rows a little against, byte
 * pairs the encoding does not have heavily against.
 */
function walk(
  sample: Uint8Array,
  step: (lead: number, at: number) => { length: number; score: number } | null,
): ByteScore {
  let score = 0;
  let invalid = 0;
  for (let at = 0; at < sample.length;) {
    const lead = sample[at] ?? 0;
    if (lead < 0x80) {
      at++;
      continue;
    }
    const found = step(lead, at);
    if (!found) {
      score += INVALID;
      invalid++;
      at++;
      continue;
    }
    score += found.score;
    at += found.length;
  }
  return { score, invalid };
}

const between = (value: number, low: number, high: number) => value >= low && value <= high;

function shiftJisBytes(sample: Uint8Array): ByteScore {
  return walk(sample, (lead, at) => {
    if (between(lead, 0xa1, 0xdf)) return { length: 1, score: 1 }; // half-width katakana
    if (!between(lead, 0x81, 0x9f) && !between(lead, 0xe0, 0xfc)) return null;
    const trail = sample[at + 1] ?? -1;
    if (!between(trail, 0x40, 0x7e) && !between(trail, 0x80, 0xfc)) return null;
    if (lead === 0x82 || lead === 0x83) return { length: 2, score: 5 }; // hiragana, katakana, full-width letters
    if (lead === 0x81) return { length: 2, score: 1.5 }; // Japanese punctuation
    if (between(lead, 0x88, 0x98)) return { length: 2, score: 3 }; // level-1 kanji
    if (between(lead, 0x99, 0x9f) || between(lead, 0xe0, 0xea)) return { length: 2, score: 0.5 };
    return { length: 2, score: -1 };
  });
}

function eucJpBytes(sample: Uint8Array): ByteScore {
  return walk(sample, (lead, at) => {
    const trail = sample[at + 1] ?? -1;
    if (lead === 0x8e) return between(trail, 0xa1, 0xdf) ? { length: 2, score: 1 } : null;
    if (lead === 0x8f) {
      return between(trail, 0xa1, 0xfe) && between(sample[at + 2] ?? -1, 0xa1, 0xfe) ? { length: 3, score: -1 } : null;
    }
    if (!between(lead, 0xa1, 0xfe) || !between(trail, 0xa1, 0xfe)) return null;
    if (lead === 0xa4 || lead === 0xa5) return { length: 2, score: 5 };
    if (lead === 0xa1 || lead === 0xa3) return { length: 2, score: 1.5 };
    if (between(lead, 0xb0, 0xcf)) return { length: 2, score: 3 };
    if (between(lead, 0xd0, 0xf4)) return { length: 2, score: 0.5 };
    return { length: 2, score: -1 };
  });
}

function gb18030Bytes(sample: Uint8Array): ByteScore {
  return walk(sample, (lead, at) => {
    if (lead === 0x80 || lead === 0xff) return null;
    const trail = sample[at + 1] ?? -1;
    if (between(trail, 0x30, 0x39)) {
      const third = sample[at + 2] ?? -1;
      const fourth = sample[at + 3] ?? -1;
      return between(third, 0x81, 0xfe) && between(fourth, 0x30, 0x39) ? { length: 4, score: -1 } : null;
    }
    if (!between(trail, 0x40, 0x7e) && !between(trail, 0x80, 0xfe)) return null;
    if (trail >= 0xa1 && between(lead, 0xa1, 0xa3)) return { length: 2, score: 1.5 };
    if (trail >= 0xa1 && between(lead, 0xb0, 0xd7)) return { length: 2, score: 3 };
    if (trail >= 0xa1 && between(lead, 0xd8, 0xf7)) return { length: 2, score: 0.5 };
    return { length: 2, score: -1 };
  });
}

function big5Bytes(sample: Uint8Array): ByteScore {
  return walk(sample, (lead, at) => {
    if (!between(lead, 0x81, 0xfe)) return null;
    const trail = sample[at + 1] ?? -1;
    if (!between(trail, 0x40, 0x7e) && !between(trail, 0xa1, 0xfe)) return null;
    if (between(lead, 0xa1, 0xa3)) return { length: 2, score: 1.5 };
    if (between(lead, 0xa4, 0xc5) || (lead === 0xc6 && trail <= 0x7e)) return { length: 2, score: 3 };
    if (between(lead, 0xc9, 0xf9)) return { length: 2, score: 0.5 };
    return { length: 2, score: -1 };
  });
}

function eucKrBytes(sample: Uint8Array): ByteScore {
  return walk(sample, (lead, at) => {
    if (!between(lead, 0x81, 0xfe)) return null;
    const trail = sample[at + 1] ?? -1;
    if (!between(trail, 0x41, 0x5a) && !between(trail, 0x61, 0x7a) && !between(trail, 0x81, 0xfe)) return null;
    if (trail < 0xa1) return { length: 2, score: 0 }; // the extended Hangul of Windows' code page 949
    if (between(lead, 0xb0, 0xc8)) return { length: 2, score: 3 };
    if (lead === 0xa1) return { length: 2, score: 1.5 };
    if (lead === 0xa3) return { length: 2, score: 1 };
    if (between(lead, 0xca, 0xfd)) return { length: 2, score: 0.3 };
    return { length: 2, score: -1 };
  });
}
